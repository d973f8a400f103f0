# generated: do not edit. Edit ui/header_form.ui in Qt Designer, then run: python ui/compile_forms.py
# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'header_form.ui'
##
## Created by: Qt User Interface Compiler version 6.11.3
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QApplication, QCheckBox, QComboBox, QDateEdit,
    QGridLayout, QLabel, QLineEdit, QSizePolicy,
    QWidget)

class Ui_HeaderForm(object):
    def setupUi(self, HeaderForm):
        if not HeaderForm.objectName():
            HeaderForm.setObjectName(u"HeaderForm")
        self.grid = QGridLayout(HeaderForm)
        self.grid.setObjectName(u"grid")
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(4)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.employeeNameLabel = QLabel(HeaderForm)
        self.employeeNameLabel.setObjectName(u"employeeNameLabel")

        self.grid.addWidget(self.employeeNameLabel, 0, 0, 1, 1)

        self.employeeName = QLineEdit(HeaderForm)
        self.employeeName.setObjectName(u"employeeName")

        self.grid.addWidget(self.employeeName, 0, 1, 1, 1)

        self.employeeNumberLabel = QLabel(HeaderForm)
        self.employeeNumberLabel.setObjectName(u"employeeNumberLabel")

        self.grid.addWidget(self.employeeNumberLabel, 1, 0, 1, 1)

        self.employeeNumber = QLineEdit(HeaderForm)
        self.employeeNumber.setObjectName(u"employeeNumber")

        self.grid.addWidget(self.employeeNumber, 1, 1, 1, 1)

        self.classificationLabel = QLabel(HeaderForm)
        self.classificationLabel.setObjectName(u"classificationLabel")

        self.grid.addWidget(self.classificationLabel, 2, 0, 1, 1)

        self.classification = QLineEdit(HeaderForm)
        self.classification.setObjectName(u"classification")

        self.grid.addWidget(self.classification, 2, 1, 1, 1)

        self.locationLabel = QLabel(HeaderForm)
        self.locationLabel.setObjectName(u"locationLabel")

        self.grid.addWidget(self.locationLabel, 3, 0, 1, 1)

        self.location = QLineEdit(HeaderForm)
        self.location.setObjectName(u"location")

        self.grid.addWidget(self.location, 3, 1, 1, 1)

        self.raterNameLabel = QLabel(HeaderForm)
        self.raterNameLabel.setObjectName(u"raterNameLabel")

        self.grid.addWidget(self.raterNameLabel, 0, 2, 1, 1)

        self.raterName = QLineEdit(HeaderForm)
        self.raterName.setObjectName(u"raterName")

        self.grid.addWidget(self.raterName, 0, 3, 1, 1)

        self.raterTitleLabel = QLabel(HeaderForm)
        self.raterTitleLabel.setObjectName(u"raterTitleLabel")

        self.grid.addWidget(self.raterTitleLabel, 1, 2, 1, 1)

        self.raterTitle = QLineEdit(HeaderForm)
        self.raterTitle.setObjectName(u"raterTitle")

        self.grid.addWidget(self.raterTitle, 1, 3, 1, 1)

        self.reviewerNameLabel = QLabel(HeaderForm)
        self.reviewerNameLabel.setObjectName(u"reviewerNameLabel")

        self.grid.addWidget(self.reviewerNameLabel, 2, 2, 1, 1)

        self.reviewerName = QLineEdit(HeaderForm)
        self.reviewerName.setObjectName(u"reviewerName")

        self.grid.addWidget(self.reviewerName, 2, 3, 1, 1)

        self.reviewerTitleLabel = QLabel(HeaderForm)
        self.reviewerTitleLabel.setObjectName(u"reviewerTitleLabel")

        self.grid.addWidget(self.reviewerTitleLabel, 3, 2, 1, 1)

        self.reviewerTitle = QLineEdit(HeaderForm)
        self.reviewerTitle.setObjectName(u"reviewerTitle")

        self.grid.addWidget(self.reviewerTitle, 3, 3, 1, 1)

        self.reviewTypeLabel = QLabel(HeaderForm)
        self.reviewTypeLabel.setObjectName(u"reviewTypeLabel")

        self.grid.addWidget(self.reviewTypeLabel, 0, 4, 1, 1)

        self.reviewType = QComboBox(HeaderForm)
        self.reviewType.setObjectName(u"reviewType")

        self.grid.addWidget(self.reviewType, 0, 5, 1, 1)

        self.periodStartLabel = QLabel(HeaderForm)
        self.periodStartLabel.setObjectName(u"periodStartLabel")

        self.grid.addWidget(self.periodStartLabel, 1, 4, 1, 1)

        self.periodStart = QDateEdit(HeaderForm)
        self.periodStart.setObjectName(u"periodStart")
        self.periodStart.setCalendarPopup(True)

        self.grid.addWidget(self.periodStart, 1, 5, 1, 1)

        self.periodEndLabel = QLabel(HeaderForm)
        self.periodEndLabel.setObjectName(u"periodEndLabel")

        self.grid.addWidget(self.periodEndLabel, 2, 4, 1, 1)

        self.periodEnd = QDateEdit(HeaderForm)
        self.periodEnd.setObjectName(u"periodEnd")
        self.periodEnd.setCalendarPopup(True)

        self.grid.addWidget(self.periodEnd, 2, 5, 1, 1)

        self.supervisory = QCheckBox(HeaderForm)
        self.supervisory.setObjectName(u"supervisory")

        self.grid.addWidget(self.supervisory, 3, 5, 1, 1)

#if QT_CONFIG(shortcut)
        self.employeeNameLabel.setBuddy(self.employeeName)
        self.employeeNumberLabel.setBuddy(self.employeeNumber)
        self.classificationLabel.setBuddy(self.classification)
        self.locationLabel.setBuddy(self.location)
        self.raterNameLabel.setBuddy(self.raterName)
        self.raterTitleLabel.setBuddy(self.raterTitle)
        self.reviewerNameLabel.setBuddy(self.reviewerName)
        self.reviewerTitleLabel.setBuddy(self.reviewerTitle)
        self.reviewTypeLabel.setBuddy(self.reviewType)
        self.periodStartLabel.setBuddy(self.periodStart)
        self.periodEndLabel.setBuddy(self.periodEnd)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.employeeName, self.employeeNumber)
        QWidget.setTabOrder(self.employeeNumber, self.classification)
        QWidget.setTabOrder(self.classification, self.location)
        QWidget.setTabOrder(self.location, self.raterName)
        QWidget.setTabOrder(self.raterName, self.raterTitle)
        QWidget.setTabOrder(self.raterTitle, self.reviewerName)
        QWidget.setTabOrder(self.reviewerName, self.reviewerTitle)
        QWidget.setTabOrder(self.reviewerTitle, self.reviewType)
        QWidget.setTabOrder(self.reviewType, self.periodStart)
        QWidget.setTabOrder(self.periodStart, self.periodEnd)
        QWidget.setTabOrder(self.periodEnd, self.supervisory)

        self.retranslateUi(HeaderForm)

        QMetaObject.connectSlotsByName(HeaderForm)
    # setupUi

    def retranslateUi(self, HeaderForm):
        HeaderForm.setWindowTitle(QCoreApplication.translate("HeaderForm", u"Review header", None))
        self.employeeNameLabel.setText(QCoreApplication.translate("HeaderForm", u"Employee &name:", None))
        self.employeeNumberLabel.setText(QCoreApplication.translate("HeaderForm", u"Employee n&umber:", None))
        self.classificationLabel.setText(QCoreApplication.translate("HeaderForm", u"&Classification / job title:", None))
        self.locationLabel.setText(QCoreApplication.translate("HeaderForm", u"Work &location:", None))
        self.raterNameLabel.setText(QCoreApplication.translate("HeaderForm", u"&Rater name:", None))
        self.raterTitleLabel.setText(QCoreApplication.translate("HeaderForm", u"Rater &title:", None))
        self.reviewerNameLabel.setText(QCoreApplication.translate("HeaderForm", u"Re&viewer name (optional):", None))
        self.reviewerTitleLabel.setText(QCoreApplication.translate("HeaderForm", u"Reviewer t&itle:", None))
        self.reviewTypeLabel.setText(QCoreApplication.translate("HeaderForm", u"Review t&ype:", None))
        self.periodStartLabel.setText(QCoreApplication.translate("HeaderForm", u"Period &from:", None))
        self.periodStart.setDisplayFormat(QCoreApplication.translate("HeaderForm", u"MM/dd/yyyy", None))
        self.periodEndLabel.setText(QCoreApplication.translate("HeaderForm", u"Period t&o:", None))
        self.periodEnd.setDisplayFormat(QCoreApplication.translate("HeaderForm", u"MM/dd/yyyy", None))
        self.supervisory.setText(QCoreApplication.translate("HeaderForm", u"&Supervisory position (rate the Leadership cluster)", None))
    # retranslateUi

